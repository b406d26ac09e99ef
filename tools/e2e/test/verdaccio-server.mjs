// Starts Verdaccio through its API: its command line refuses Node 20, on which the server
// itself runs fine. Usage: node verdaccio-server.mjs <config.yaml> <port>
import { runServer } from 'verdaccio';

const [config, port] = process.argv.slice(2);
const app = await runServer(config);
app.listen(Number(port), '127.0.0.1', () => console.log('listening'));
const stop = () => app.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
