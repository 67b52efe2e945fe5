import { MemoryStore } from '../../../src/store/memory-store';
import { describeDocumentStoreContract } from './document-store.contract';
import { describeIdempotencyAndAuditContract } from './idempotency-audit.contract';
import { describeRequestStoreContract } from './request-store.contract';

describeRequestStoreContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
describeIdempotencyAndAuditContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
describeDocumentStoreContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
