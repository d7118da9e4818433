const {realKnowledge}=require('./dist/test/helpers/knowledge');const {answerer}=realKnowledge();
const a=answerer.answer(process.argv[2]); console.log(a.kind, a.intent, a.confidence, a.context, '\n', a.text.slice(0,300));
