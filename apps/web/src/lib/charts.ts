import type { VisualizationSpec } from 'vega-embed';

type Rows = object[];
type Row = Record<string, unknown>;

const base = (width: number | 'container' = 'container', height = 220) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width,
  height,
  autosize: { type: 'fit' as const, contains: 'padding' as const },
  config: { view: { stroke: '#dde2e8' }, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11 } },
});

/** One metric's curve per round: a line and a point per round for each split (train, validation). */
export function learningCurveSpec(rows: Rows, metric: string): VisualizationSpec {
  return {
    ...base(),
    description: `${metric} per round, train and validation`,
    data: { values: rows },
    mark: { type: 'line', point: { size: 14 } },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'round', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'split', type: 'nominal', title: 'split', scale: { domain: ['train', 'validation'], range: ['#1f6feb', '#d4a72c'] } },
    },
  } as VisualizationSpec;
}

/** confusionMatrix[true][predicted] as a heat map with counts. */
export function confusionSpec(matrix: number[][], labels: string[]): VisualizationSpec {
  const values = matrix.flatMap((row, t) => row.map((count, p) => ({ truth: labels[t] ?? String(t), predicted: labels[p] ?? String(p), count })));
  const size = Math.min(360, 80 + labels.length * 60);
  return {
    ...base(size, size),
    description: 'confusion matrix: true class by predicted class',
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: labels, title: 'predicted' },
      y: { field: 'truth', type: 'nominal', sort: labels, title: 'true' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' }, legend: null } } },
      { mark: { type: 'text', fontSize: 13 }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { value: '#1c2430' } } },
    ],
  } as VisualizationSpec;
}

/** A curve through (x, y) points with a diagonal or baseline reference. */
export function curveSpec(points: Rows, x: string, y: string, title: string, reference: 'diagonal' | number): VisualizationSpec {
  const ref = reference === 'diagonal' ? [{ [x]: 0, [y]: 0 }, { [x]: 1, [y]: 1 }] : [{ [x]: 0, [y]: reference }, { [x]: 1, [y]: reference }];
  return {
    ...base(),
    description: title,
    layer: [
      { data: { values: ref }, mark: { type: 'line', strokeDash: [4, 4], color: '#8c959f' }, encoding: { x: { field: x, type: 'quantitative' }, y: { field: y, type: 'quantitative' } } },
      {
        data: { values: points },
        mark: { type: 'line', color: '#1f6feb' },
        encoding: { x: { field: x, type: 'quantitative', scale: { domain: [0, 1] } }, y: { field: y, type: 'quantitative', scale: { domain: [0, 1] } } },
      },
    ],
  } as VisualizationSpec;
}

/** Predicted against actual, with the y = x line. */
export function residualSpec(points: Rows): VisualizationSpec {
  return {
    ...base(),
    description: 'predicted against actual values on the test rows',
    data: { values: points },
    layer: [
      { mark: { type: 'point', opacity: 0.5 }, encoding: { x: { field: 'actual', type: 'quantitative', scale: { zero: false } }, y: { field: 'predicted', type: 'quantitative', scale: { zero: false } } } },
      { transform: [{ calculate: 'datum.actual', as: 'predicted' }], mark: { type: 'line', color: '#8c959f', strokeDash: [4, 4] }, encoding: { x: { field: 'actual', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative' } } },
    ],
  } as VisualizationSpec;
}

/** Horizontal bars, longest first. */
export function barSpec(rows: Rows, category: string, value: string, title: string, limit = 20): VisualizationSpec {
  const top = ([...rows] as Row[]).sort((a, b) => (b[value] as number) - (a[value] as number)).slice(0, limit);
  return {
    ...base('container', Math.max(80, top.length * 20)),
    description: title,
    data: { values: top },
    mark: { type: 'bar', color: '#1f6feb' },
    encoding: {
      y: { field: category, type: 'nominal', sort: '-x', title: null },
      x: { field: value, type: 'quantitative', title },
    },
  } as VisualizationSpec;
}

/** Runs as lines across parameter and metric axes, each scaled to [0, 1]; hovering shows the raw values. */
export function parallelSpec(rows: Rows, axes: string[], colourBy: string): VisualizationSpec {
  return {
    ...base('container', 260),
    description: `parallel coordinates of ${axes.join(', ')}`,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'line', opacity: 0.7 },
        encoding: {
          x: { field: 'axis', type: 'nominal', sort: axes, title: null, axis: { labelAngle: 0 } },
          y: { field: 'scaled', type: 'quantitative', axis: null },
          detail: { field: 'run', type: 'nominal' },
          color: { field: 'colour', type: 'quantitative', title: colourBy, scale: { scheme: 'viridis' } },
        },
      },
      { mark: { type: 'text', dx: 4, align: 'left', fontSize: 10 }, encoding: { x: { field: 'axis', type: 'nominal', sort: axes }, y: { field: 'scaled', type: 'quantitative' }, text: { field: 'raw' } } },
    ],
  } as VisualizationSpec;
}

/** Trials' objective values by number (coloured by status) and the best value so far as a step line. */
export function historySpec(rows: Rows, metric: string): VisualizationSpec {
  return {
    ...base(),
    description: `optimization history of ${metric} with the best value so far`,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 50 },
        transform: [{ filter: 'datum.value !== null' }],
        encoding: {
          x: { field: 'number', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
          color: { field: 'status', type: 'nominal', scale: { domain: ['completed', 'pruned', 'failed', 'running'], range: ['#1f6feb', '#d4a72c', '#cf222e', '#8c959f'] } },
        },
      },
      {
        mark: { type: 'line', interpolate: 'step-after', color: '#1a7f37' },
        transform: [{ filter: 'datum.best !== null' }],
        encoding: { x: { field: 'number', type: 'quantitative' }, y: { field: 'best', type: 'quantitative' } },
      },
    ],
  } as VisualizationSpec;
}

/** Each trial's intermediate values by round; pruned trials dashed and coloured apart. */
export function intermediateSpec(rows: Rows, metric: string): VisualizationSpec {
  return {
    ...base(),
    description: `intermediate ${metric} per round for each trial`,
    data: { values: rows },
    mark: { type: 'line', opacity: 0.8 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'round' },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      detail: { field: 'trial', type: 'nominal' },
      color: { field: 'status', type: 'nominal', scale: { domain: ['completed', 'pruned', 'failed', 'running'], range: ['#1f6feb', '#d4a72c', '#cf222e', '#8c959f'] } },
      strokeDash: { field: 'pruned', type: 'nominal', legend: null, scale: { domain: [false, true], range: [[1, 0], [4, 3]] } },
    },
  } as VisualizationSpec;
}

/** A histogram from precomputed bins, stacked by class when the target is categorical. */
export function histogramSpec(rows: Rows, column: string, stacked: boolean): VisualizationSpec {
  return {
    ...base('container', 150),
    description: `histogram of ${column}`,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', bin: { binned: true }, title: column },
      x2: { field: 'x1' },
      y: { field: 'count', type: 'quantitative', stack: true },
      ...(stacked ? { color: { field: 'class', type: 'nominal', title: 'target' } } : { color: { value: '#1f6feb' } }),
    },
  } as VisualizationSpec;
}

/** Counts of the most frequent values, stacked by class when the target is categorical. */
export function topValuesSpec(rows: Rows, column: string, stacked: boolean): VisualizationSpec {
  return {
    ...base('container', Math.max(80, new Set((rows as Row[]).map((r) => r.value)).size * 18)),
    description: `most frequent values of ${column}`,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: '-x', title: null },
      x: { field: 'count', type: 'quantitative', stack: true },
      ...(stacked ? { color: { field: 'class', type: 'nominal', title: 'target' } } : { color: { value: '#1f6feb' } }),
    },
  } as VisualizationSpec;
}

/** The target's mean per bin or value (regression targets). */
export function targetMeanSpec(rows: Rows, x: string, xType: 'quantitative' | 'nominal', target: string): VisualizationSpec {
  return {
    ...base('container', 140),
    description: `mean ${target} by ${x}`,
    data: { values: rows },
    mark: { type: xType === 'quantitative' ? 'line' : 'bar', point: xType === 'quantitative', color: '#d4a72c' },
    encoding: {
      x: { field: 'x', type: xType, title: x },
      y: { field: 'mean', type: 'quantitative', title: `mean ${target}`, scale: { zero: false } },
    },
  } as VisualizationSpec;
}
