import { MemoryStore } from '../../../src/store/memory-store';
import { describeRequestStoreContract } from './request-store.contract';

describeRequestStoreContract('MemoryStore', () => Promise.resolve(new MemoryStore()));
