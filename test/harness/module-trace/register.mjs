// `node --import ./register.mjs …`: installs hooks.mjs for the whole process.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
