import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger. Its level comes from the standard variables Powertools reads itself
 * (POWERTOOLS_LOG_LEVEL, LOG_LEVEL, or Lambda's own log level). Contact details never reach it:
 * the core masks email and phone before anything is logged, and webhook bodies and secrets are
 * never logged at all.
 */
export const logger = new Logger({ serviceName: 'aftersale' });
