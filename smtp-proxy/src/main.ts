/** Runs the SMTP proxy: `node smtp-proxy/dist/main.js` (settings from the environment). */
import { loadProxyConfig } from './config.js';
import { installProcessGuards } from './guards.js';
import { createSmtpProxy } from './server.js';

const config = loadProxyConfig();
const server = createSmtpProxy(config);
// Installed once the configuration is known good: a bad setting should still stop the process.
installProcessGuards();
server.on('error', (err) => console.error(JSON.stringify({ event: 'smtp_error', error: err.message })));
server.listen(config.port, config.host, () => {
  const tls = config.tls ? (config.tls.implicit ? 'implicit TLS' : 'STARTTLS') : 'no TLS';
  console.log(
    JSON.stringify({ event: 'smtp_listening', host: config.host, port: config.port, worker: config.workerUrl, tls, insecure_auth: config.allowInsecureAuth }),
  );
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
