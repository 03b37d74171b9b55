import { datasetInvalid } from './dataset-invalid';
import type { ColumnType } from './frame';

/** The subset of hyparquet's SchemaElement this mapping looks at. */
export interface ParquetSchemaElement {
  name: string;
  type?: string;
  repetition_type?: string;
  converted_type?: string;
  logical_type?: { type: string };
}

/** Maps a flat Parquet column's physical and logical type onto a Frame column type. */
export function parquetColumnType(element: ParquetSchemaElement, nested: boolean): ColumnType {
  if (nested || element.repetition_type === 'REPEATED') {
    throw datasetInvalid(`Parquet column "${element.name}" is nested; only flat columns are supported`, {
      column: element.name,
    });
  }
  switch (element.logical_type?.type) {
    case 'DATE':
    case 'TIMESTAMP':
      return 'datetime';
    case 'DECIMAL':
    case 'FLOAT16':
      return 'number';
    case 'STRING':
    case 'ENUM':
    case 'JSON':
    case 'UUID':
      return 'string';
  }
  switch (element.converted_type) {
    case 'DATE':
    case 'TIMESTAMP_MILLIS':
    case 'TIMESTAMP_MICROS':
      return 'datetime';
    case 'DECIMAL':
      return 'number';
    case 'UTF8':
    case 'ENUM':
    case 'JSON':
      return 'string';
  }
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'INT96':
      return 'datetime';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    default:
      return 'string';
  }
}
