/** Where workflows and bookkeeping activities run; every worker polls it. */
export const CONTROL_QUEUE = 'trainyard-control';
export const CPU_QUEUE = 'trainyard-cpu';
export const GPU_QUEUE = 'trainyard-gpu';

export type Device = 'cpu' | 'gpu';
export type DeviceRequest = Device | 'auto';

/** Task queue names get a prefix so separate deployments (or test suites) can share one Temporal namespace. */
export function queueName(base: string, prefix = ''): string {
  return prefix ? `${prefix}${base}` : base;
}

export function computeQueue(device: Device, prefix = ''): string {
  return queueName(device === 'gpu' ? GPU_QUEUE : CPU_QUEUE, prefix);
}
