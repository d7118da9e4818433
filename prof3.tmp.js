const fs=require('fs');
const {realKnowledge}=require('./dist/test/helpers/knowledge');const {answerer,index}=realKnowledge();
const qs=[];for (const f of ['../shared/eval/dev.json','test/eval/heldout-like.json','/work/fresh-eval/fresh-a.json']) for (const x of JSON.parse(fs.readFileSync(f))) qs.push(x.question);
const o=index.scoreUnit.bind(index); let n=0; index.scoreUnit=(...a)=>{n++; return o(...a);};
const os=index.searchBounded.bind(index); let s=0; const recs=[]; index.searchBounded=(...a)=>{s++; return os(...a);};
for (const q of qs) answerer.answer(q);
console.log({scoreUnitCalls:n, searches:s, perSearch:(n/s).toFixed(0)});
