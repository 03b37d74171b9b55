import { useEffect, useRef } from 'preact/hooks';
import embed, { type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

/**
 * A Vega-Lite chart rendered as SVG. Expressions run in vega-interpreter (ast: true) instead of being compiled with
 * Function(), and vega-embed adds no inline style, so charts work under the dashboard's strict CSP.
 */
export function Chart({ spec, label, id }: { spec: VisualizationSpec; label: string; id?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const key = JSON.stringify(spec);
  useEffect(() => {
    let finalize: (() => void) | null = null;
    let live = true;
    if (!host.current) return;
    embed(host.current, spec, { renderer: 'svg', actions: false, ast: true, expr: expressionInterpreter, defaultStyle: false, tooltip: false }).then(
      (result) => {
        if (live) finalize = () => result.finalize();
        else result.finalize();
      },
      (err: unknown) => {
        if (host.current) host.current.textContent = `chart failed: ${err instanceof Error ? err.message : String(err)}`;
      },
    );
    return () => {
      live = false;
      finalize?.();
    };
  }, [key]);
  return (
    <figure class="chart" role="figure" aria-label={label} data-chart={id}>
      <div ref={host} />
    </figure>
  );
}
