// The GUI suite against the controller running on the real e2e API server with examples/.
import { clusterTarget } from './cluster-target';
import { guiSuite } from './suite';

guiSuite('cluster', () => clusterTarget());
