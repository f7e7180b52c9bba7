import { DirectoryKubeView } from '../../../core/kube/directory-kube-view.js';
import { CONTRACT_FIXTURE_DIR, kubeViewContract } from './kube-view-contract.js';

kubeViewContract('directory of YAML', () => DirectoryKubeView.load(CONTRACT_FIXTURE_DIR));
