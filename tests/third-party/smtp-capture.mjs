// A real SMTP server (npm smtp-server) for the e-mail report tests. It listens on 127.0.0.1 (port 0 = any free
// port) and writes JSON lines to stdout:
//   {"event":"listening","port":N}
//   {"event":"connect","n":N}                          every connection (n counts from 1)
//   {"event":"auth","user":U,"ok":bool,"method":M}     every AUTH attempt (never the password)
//   {"event":"message","from":A,"to":[..],"user":U|null,"tls":bool,"data":RAW}
// Options:
//   --port N              listen port (default 0)
//   --tls-key F --tls-cert F   offer STARTTLS with this PEM key and certificate
//   --user U --password P      require AUTH (PLAIN/LOGIN) with these credentials; AUTH only after STARTTLS when TLS is on
//   --fail-connections N       answer the first N connections with 421 and close them
//   --refuse-rcpt ADDR         refuse RCPT TO for this address (550); may repeat
// Ends on SIGTERM/SIGINT or when stdin closes.
import { SMTPServer } from 'smtp-server';
import fs from 'node:fs';

const args = process.argv.slice(2);
const opt = { port: 0, failConnections: 0, refuseRcpt: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const v = () => args[++i];
  if (a === '--port') opt.port = Number(v());
  else if (a === '--tls-key') opt.key = fs.readFileSync(v());
  else if (a === '--tls-cert') opt.cert = fs.readFileSync(v());
  else if (a === '--user') opt.user = v();
  else if (a === '--password') opt.password = v();
  else if (a === '--fail-connections') opt.failConnections = Number(v());
  else if (a === '--refuse-rcpt') opt.refuseRcpt.push(v().toLowerCase());
  else { console.error(`unknown option ${a}`); process.exit(2); }
}

const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');
let connections = 0;
const tls = Boolean(opt.key && opt.cert);

const server = new SMTPServer({
  secure: false,
  key: opt.key,
  cert: opt.cert,
  hideSTARTTLS: !tls,
  authOptional: !opt.user,
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: !tls,
  disabledCommands: opt.user ? [] : ['AUTH'],
  logger: false,
  banner: 'smtp-capture',
  size: 10 * 1024 * 1024,
  onConnect(session, callback) {
    connections++;
    emit({ event: 'connect', n: connections });
    if (connections <= opt.failConnections) {
      const err = new Error('Service not available, try again later');
      err.responseCode = 421;
      return callback(err);
    }
    callback();
  },
  onAuth(auth, session, callback) {
    const ok = auth.username === opt.user && auth.password === opt.password;
    emit({ event: 'auth', user: auth.username, ok, method: auth.method, tls: Boolean(session.secure) });
    if (!ok) {
      const err = new Error('Authentication failed');
      err.responseCode = 535;
      return callback(err);
    }
    callback(null, { user: auth.username });
  },
  onRcptTo(address, session, callback) {
    if (opt.refuseRcpt.includes(address.address.toLowerCase())) {
      const err = new Error(`Mailbox unavailable: ${address.address}`);
      err.responseCode = 550;
      return callback(err);
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      emit({
        event: 'message',
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user ?? null,
        tls: Boolean(session.secure),
        data: Buffer.concat(chunks).toString('utf8'),
      });
      callback(null, 'queued');
    });
  },
});

server.on('error', (e) => console.error(`smtp-capture: ${e.message}`));
server.listen(opt.port, '127.0.0.1', () => emit({ event: 'listening', port: server.server.address().port }));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
