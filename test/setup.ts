import 'aws-sdk-client-mock-jest';

// The SDK warns on every client that its 2027 releases need Node 22; the README lists the upgrade.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The tests run on moto: declare the emulator, as the demo and the local AWS tool's exports do.
process.env.AVF_EMULATOR ??= '1';
