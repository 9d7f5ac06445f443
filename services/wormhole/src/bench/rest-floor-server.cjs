// The REST floor's server, a child process of the bench like the engine's API: Express with the
// JSON body parser and one POST route that answers 202 with an id, doing nothing else. What the
// engine's `execute` costs beyond this is the engine's own work.
'use strict';
const express = require('express');

const app = express();
app.use(express.json({ limit: '1mb' }));
let next = 0;
app.post('/start', (req, res) => {
  res.status(202).json({ id: `ex_${++next}`, status: 'pending', input: req.body.input ?? null });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send({ port: server.address().port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
