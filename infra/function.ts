import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from './topology.ts';

const root = join(import.meta.dirname, '..');

/**
 * The house Lambda function: arm64, Node.js 24, an ESM bundle (minified, with source maps, AWS SDK
 * bundled so cold starts do not load the runtime's full copy), JSON logs kept 30 days. The caller's
 * environment is merged over the defaults, never replacing them.
 */
export class AftersaleFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(
    scope: Construct,
    id: string,
    spec: FunctionSpec,
    retainLogs: boolean,
    props: Partial<NodejsFunctionProps> = {},
  ) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(root, spec.entry),
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      handler: 'handler',
      description: spec.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...props,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'aftersale',
        LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // Some dependencies still call require(); ESM bundles need it defined.
        banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
        externalModules: [],
        ...props.bundling,
      },
    });
  }
}
