export * from './power-input.error';
export * from './time';
