// Entry point of the worker service.
import { runService } from '@wormhole/platform';
import { bootWorker } from './boot';

runService('worker', () => bootWorker(process.env));
