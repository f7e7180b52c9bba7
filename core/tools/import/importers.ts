import type { Importer } from './importer.js';
import { kubeBench } from './kube-bench.js';
import { kubescape } from './kubescape.js';
import { trivy } from './trivy.js';

/** Every format `kubectl seco import` recognises: one line each. */
export const IMPORTERS: readonly Importer[] = [trivy, kubescape, kubeBench];
