// `pnpm demo` runs the idgov CLI on the embedded fake Graph once @idgov/cli exists.
console.error('The demo is not built yet: it arrives with @idgov/cli.');
process.exitCode = 1;
