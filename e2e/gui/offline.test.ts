// The GUI suite against `serveOffline` (examples/ when translate() and examples exist, else the
// fixture bundle), logged in with a token so the cookie flow is exercised too.
import { guiSuite } from './suite';
import { offlineTarget } from './targets';

guiSuite('offline', () => offlineTarget({ token: 'e2e-gui-token-0123456789' }));
