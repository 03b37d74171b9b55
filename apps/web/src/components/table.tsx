import type { ComponentChildren, VNode } from 'preact';
import type { Async } from '../lib/hooks';
import { ErrorBanner, Loading } from './ui';

export interface Column<T> {
  header: string;
  cell: (row: T) => ComponentChildren;
  /** Left out at a phone's width. */
  wide?: boolean;
}

const narrowClass = (c: { wide?: boolean }) => (c.wide ? 'hide-narrow' : undefined);

/** A labelled table that scrolls sideways on its own, with a line for no rows. */
export function DataTable<T>(props: {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string | number;
  rowClass?: (row: T) => string;
  /** Renders a row itself (a row with hooks of its own); cells come from `columns` otherwise. */
  row?: (row: T) => VNode;
  empty: string;
}) {
  const { label, rows, columns, rowKey, rowClass, row, empty } = props;
  return (
    <>
      <div class="table-wrap">
        <table aria-label={label}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.header} class={narrowClass(c)}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) =>
              row ? (
                row(r)
              ) : (
                <tr key={rowKey(r)} class={rowClass?.(r)}>
                  {columns.map((c) => (
                    <td key={c.header} class={narrowClass(c)}>
                      {c.cell(r)}
                    </td>
                  ))}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p class="muted">{empty}</p>}
    </>
  );
}

/** A list page: its title, then the loaded items in a table (or the error, or a loading line). */
export function ListPage<T>(props: { title: string; what: string; state: Async<{ items: T[] }>; before?: ComponentChildren } & Omit<Parameters<typeof DataTable<T>>[0], 'rows'>) {
  const { title, what, state, before, ...table } = props;
  return (
    <>
      <h1>{title}</h1>
      {before}
      <ErrorBanner error={state.error} />
      {!state.data ? (
        <Loading what={what} />
      ) : (
        <section class="panel">
          <DataTable {...table} rows={state.data.items} />
        </section>
      )}
    </>
  );
}
