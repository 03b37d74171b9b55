import { sampleUniform } from './param-domain';
import type { Rng } from './prng';
import { isActive, sampleOrder, type ParamValues, type SearchSpace } from './search-space';

/** Independent uniform draws for every active parameter, parents before the parameters they govern. */
export function sampleRandom(space: SearchSpace, rng: Rng): ParamValues {
  const params: ParamValues = {};
  for (const name of sampleOrder(space)) {
    const spec = space[name];
    if (isActive(spec, params)) params[name] = sampleUniform(spec, rng);
  }
  return params;
}
