// Liaison's own database runs on fake-indexeddb here (the CRM is the real thing).
import 'fake-indexeddb/auto';
