const fs=require('fs');
const {realKnowledge}=require('./dist/test/helpers/knowledge');const {answerer,index}=realKnowledge();
const qs=[];for (const f of ['../shared/eval/dev.json','test/eval/heldout-like.json','/work/fresh-eval/fresh-a.json']) for (const x of JSON.parse(fs.readFileSync(f))) qs.push(x.question);
const orig=index.searchBounded.bind(index); let calls=0, full=0; index.searchBounded=(p,t,o,skip)=>{calls++; if(!skip.some(Boolean)) full++; return orig(p,t,o,skip);};
const os=index.search.bind(index); let searches=0; index.search=(c,o)=>{searches++; return os(c,o);};
for (const q of qs) answerer.answer(q);
console.log({questions: qs.length, searches, boundedCalls: calls, fullBounded: full});
