import { callXGBoost, xgboostApi } from './xgboost-library';

let version: string | null = null;

/** The loaded libxgboost's version, e.g. "3.2.0". */
export function xgboostVersion(): string {
  if (version) return version;
  const major = [0];
  const minor = [0];
  const patch = [0];
  xgboostApi().XGBoostVersion(major, minor, patch);
  version = `${major[0]}.${minor[0]}.${patch[0]}`;
  return version;
}

/** Whether this libxgboost was built with CUDA, from XGBuildInfo. */
export function xgboostSupportsCuda(): boolean {
  const out: (string | null)[] = [null];
  callXGBoost('INTERNAL', 'XGBuildInfo', out);
  return (JSON.parse(out[0] ?? '{}') as { USE_CUDA?: boolean }).USE_CUDA === true;
}
