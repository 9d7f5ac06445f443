export * from './all-in-one';
export { runCli, USAGE } from './cli/run-cli';
