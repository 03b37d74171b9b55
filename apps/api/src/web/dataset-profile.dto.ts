import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

const TARGET_DOC: ApiPropertyOptions = {
  description: "the target's mean (regression) or each class's count (classification) in this bin or value; absent without a target",
  required: false,
  nullable: true,
  oneOf: [{ type: 'number' }, { type: 'object', additionalProperties: { type: 'number' } }],
};

export class HistogramBin {
  @ApiProperty({ example: 20 }) x0!: number;
  @ApiProperty({ example: 25 }) x1!: number;
  @ApiProperty({ example: 812 }) count!: number;
  @ApiProperty(TARGET_DOC) target?: number | Record<string, number> | null;
}

export class TopValue {
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], nullable: true, example: 'pro' }) value!: string | number | boolean | null;
  @ApiProperty({ example: 2511 }) count!: number;
  @ApiProperty(TARGET_DOC) target?: number | Record<string, number> | null;
}

export class ColumnProfile {
  @ApiProperty({ example: 'age' }) name!: string;
  @ApiProperty({ enum: ['number', 'integer', 'boolean', 'string', 'datetime'] }) type!: 'number' | 'integer' | 'boolean' | 'string' | 'datetime';
  @ApiProperty({ description: 'missing cells in the whole dataset (recorded at upload)' }) missing!: number;
  @ApiProperty({ example: 0.01 }) missingRate!: number;
  @ApiProperty({ description: 'distinct present values in the sampled rows' }) distinct!: number;
  @ApiProperty({ type: 'number', nullable: true }) min!: number | null;
  @ApiProperty({ type: 'number', nullable: true }) max!: number | null;
  @ApiProperty({ type: 'number', nullable: true }) mean!: number | null;
  @ApiProperty({ type: [HistogramBin], nullable: true, description: 'numeric columns with many values: equal-width bins' }) histogram!: HistogramBin[] | null;
  @ApiProperty({ type: [TopValue], nullable: true, description: 'other columns: the most frequent values' }) topValues!: TopValue[] | null;
}

export class ProfileTarget {
  @ApiProperty({ example: 'churned' }) name!: string;
  @ApiProperty({ enum: ['classification', 'regression'] }) kind!: 'classification' | 'regression';
}

/** `GET /v1/datasets/{id}/profile`: the type and the OpenAPI schema in one place. */
export class DatasetProfile {
  @ApiProperty({ description: 'rows in the dataset' }) rows!: number;
  @ApiProperty({ description: 'rows profiled, from the top of the file' }) sampledRows!: number;
  @ApiProperty({ type: ProfileTarget, nullable: true }) target!: ProfileTarget | null;
  @ApiProperty({ type: [ColumnProfile] }) columns!: ColumnProfile[];
}
