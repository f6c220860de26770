// The child process the crash harness kills with SIGKILL: it saves model A and model B into one
// folder, alternately and as fast as it can, until it is killed.
import { modelA, modelB } from './crash-models.js';

const dir = process.argv[2];
const models = [modelA(), modelB()];
process.stdout.write('ready\n');
for (let i = 0; ; i++) await models[i % 2].save(dir);
