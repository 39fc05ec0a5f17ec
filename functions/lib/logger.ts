import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger. Contact details never reach it: the core masks email and phone before
 * anything is logged, and webhook bodies and secrets are never logged at all.
 */
export const logger = new Logger({
  serviceName: 'aftersale',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});
