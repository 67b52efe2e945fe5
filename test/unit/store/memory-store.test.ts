import { MemoryStore } from '../../../src/store/memory-store';
import { describeJobStoreContract } from './job-store.contract';
import { describeDocumentStoreContract } from './document-store.contract';
import { describeIdempotencyAndAuditContract } from './idempotency-audit.contract';
import { describeRequestStoreContract } from './request-store.contract';
import { describeStoreWritesContract } from './store-writes.contract';

describeRequestStoreContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
describeIdempotencyAndAuditContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
describeDocumentStoreContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
describeJobStoreContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
describeStoreWritesContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
