const {realKnowledge}=require('./dist/test/helpers/knowledge');const {answerer,index}=realKnowledge();const {understand}=require('./dist/knowledge/understand');
const u=understand(process.argv[2]); console.log(JSON.stringify({intent:u.intent, docs:u.preferDocs, search:u.searchText, w:u.withIntentWords})); console.log(index.concepts(u.searchText).map(c=>c.word));
const a=answerer.answer(process.argv[2]); console.log(a.kind, a.intent, a.confidence.toFixed(2), '\n', a.text.slice(0,300));
