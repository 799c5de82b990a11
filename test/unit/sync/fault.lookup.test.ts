import { faultSuite } from './fault-suite';

faultSuite('lookup', 'CRM without keys (search before create)');
