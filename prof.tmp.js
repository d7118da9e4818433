const fs=require('fs');
const {realKnowledge}=require('./dist/test/helpers/knowledge');const {answerer,index}=realKnowledge();
const qs=[];for (const f of ['../shared/eval/dev.json','test/eval/heldout-like.json','/work/fresh-eval/fresh-a.json','/work/fresh-eval/fresh-b.json','/work/fresh-eval/fresh-d.json','/work/fresh-eval/fresh-e.json']) for (const x of JSON.parse(fs.readFileSync(f))) qs.push(x.question);
for (const q of qs) answerer.answer(q); // warm
let best=Infinity;
for (let r=0;r<5;r++){ const c0=process.cpuUsage(); for (const q of qs) answerer.answer(q); const c=process.cpuUsage(c0); best=Math.min(best,(c.user+c.system)/1000/qs.length); }
console.log('min cpu ms/answer', best.toFixed(3));
