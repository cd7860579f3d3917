// The baseline of `npm run bench`: a bare Express app with a JSON route, what any webhook receiver
// costs at the least. Plain JavaScript run by plain node, as the bot's compiled bundle is.
// Same body limit as the bot's default; /healthz tells the bench it is ready.
import express from 'express';

const app = express();
app.post('/webhook/event', express.json({ limit: 524288 }), (_req, res) => {
  res.json({});
});
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
