import { gridValues } from './param-domain';
import { isActive, sampleOrder, type ParamValues, type SearchSpace } from './search-space';

/** Grids beyond this many points are refused: a study that long needs random or TPE instead. */
export const MAX_GRID_POINTS = 100_000;

/** Thrown when the grid would be larger than MAX_GRID_POINTS. */
export class GridTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`the grid has more than ${MAX_GRID_POINTS} points`);
    this.name = 'GridTooLargeError';
  }
}

/**
 * Every combination of grid values, in a fixed order; a conditional parameter branches only under the parent values
 * that activate it, so inactive parameters never multiply the grid.
 */
export function enumerateGrid(space: SearchSpace, points = 5): ParamValues[] {
  const order = sampleOrder(space);
  const values = new Map(order.map((name) => [name, gridValues(space[name], points)] as const));
  let partials: ParamValues[] = [{}];
  for (const name of order) {
    const spec = space[name];
    const next: ParamValues[] = [];
    for (const p of partials) {
      if (!isActive(spec, p)) next.push(p);
      else for (const v of values.get(name)!) next.push({ ...p, [name]: v });
      if (next.length > MAX_GRID_POINTS) throw new GridTooLargeError(next.length);
    }
    partials = next;
  }
  return partials;
}
