// Worker entry: expose the API over Comlink. Kept apart from api.ts so the API can be tested in Node.
import { expose } from 'comlink';
import { api } from './api.ts';

expose(api);
