/**
 * The custom search attributes of Trainyard's workflows, so the Temporal UI and CLI can find a run by job,
 * experiment, model or dataset (`TrainyardKind = 'training' AND TrainyardExperiment = 'churn'`). The dev servers
 * register them from scripts/search-attributes.json and compose from the same file; a spec keeps the two in step.
 */
export const SEARCH_ATTRIBUTES = {
  tenant: { name: 'TrainyardTenant', type: 'KEYWORD' },
  jobId: { name: 'TrainyardJobId', type: 'KEYWORD' },
  experiment: { name: 'TrainyardExperiment', type: 'KEYWORD' },
  modelType: { name: 'TrainyardModelType', type: 'KEYWORD' },
  dataset: { name: 'TrainyardDataset', type: 'KEYWORD' },
  studyId: { name: 'TrainyardStudyId', type: 'KEYWORD' },
  scheduleId: { name: 'TrainyardScheduleId', type: 'KEYWORD' },
  status: { name: 'TrainyardStatus', type: 'KEYWORD' },
  kind: { name: 'TrainyardKind', type: 'KEYWORD' },
} as const;

export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;

/** What a workflow is: training runs are what people look for; the rest can be filtered out. */
export type WorkflowKind = 'training' | 'study' | 'schedule' | 'delivery' | 'retention';

/** The upserts for these keyword attributes (an absent value leaves the attribute alone). */
export function searchAttributeUpdates(values: Partial<Record<SearchAttributeName, string | null | undefined>>) {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ key: SEARCH_ATTRIBUTES[name as SearchAttributeName], value: value as string | null }));
}
