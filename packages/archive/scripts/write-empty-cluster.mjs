// Part of the build: the empty PGlite cluster new embedded archives start from (see src/empty-cluster.ts).
import { defaultEmptyCluster, writeEmptyCluster } from '../dist/index.js';

await writeEmptyCluster();
console.log(`wrote ${defaultEmptyCluster()}`);
