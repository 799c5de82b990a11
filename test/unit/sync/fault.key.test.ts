import { faultSuite } from './fault-suite';

faultSuite('key', 'CRM with idempotency keys');
