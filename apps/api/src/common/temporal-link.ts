import type { TrainyardConfig } from '@trainyard/config';

/** The Temporal UI page of a workflow, or null when this deployment has not said where its UI is. */
export function temporalWorkflowUrl(config: Pick<TrainyardConfig, 'temporalUiUrl' | 'temporalNamespace'>, workflowId: string): string | null {
  if (!config.temporalUiUrl || !workflowId) return null;
  return `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
