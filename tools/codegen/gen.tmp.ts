import { generateTypes, layoutFrom, loadDocument, sliceUpstream } from './src/index.ts';
import { writeFileSync, mkdirSync } from 'node:fs';
const doc = await loadDocument(process.argv[2]!);
const r = await sliceUpstream(doc, layoutFrom('/work/wt-csdl'), { allowUnmatchedIncludes: true });
console.log(JSON.stringify({ ...r.report, foreign: r.report.foreign.length }));
writeFileSync(process.argv[3] + '/slice.yaml', r.yaml);
for (const f of await generateTypes(r.document)) writeFileSync(process.argv[3] + '/' + f.path.split('/').pop(), f.content);
