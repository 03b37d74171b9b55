export * from './errors';
export * from './matrix';
export * from './data';
export * from './preprocess';
export * from './native';
export * from './engines';
export * from './onnx';
export * from './metrics';
