// Entry point of the executor service.
import { runService } from '@wormhole/platform';
import { bootExecutor } from './boot';

runService('executor', () => bootExecutor(process.env));
