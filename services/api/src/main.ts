// Entry point of the API service.
import { runService } from '@wormhole/platform';
import { bootApi } from './boot';

runService('api', () => bootApi(process.env));
