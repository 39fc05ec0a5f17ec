import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  type ICommandHooks,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from './topology.ts';

const root = join(import.meta.dirname, '..');

/** Every function's environment starts from these; the caller's variables are merged over them. */
export const DEFAULT_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'aftersale',
  POWERTOOLS_METRICS_NAMESPACE: 'aftersale',
  LOG_LEVEL: 'INFO',
} as const;

export interface AftersaleFunctionOptions {
  retainLogs: boolean;
  logRetention: RetentionDays;
  /** Extra props for NodejsFunction; `environment` is merged over the defaults, never replacing them. */
  props?: Partial<NodejsFunctionProps>;
}

/**
 * The house Lambda function: arm64, Node.js 24, an ESM bundle (minified, AWS SDK v3 bundled so
 * cold starts do not load the runtime's full copy), JSON logs in its own log group with a
 * retention, a role of its own that may write only to that log group.
 *
 * Source maps: esbuild writes one per bundle, and it is moved out of the asset into the cloud
 * assembly (`cdk.out/sourcemaps/<stack>/<function>/index.mjs.map`), kept as a build artifact for
 * reading stack traces. `--enable-source-maps` is not set: measured, it makes the first error
 * stack of each instance parse the 3-4 MB map (240-300 ms, docs/decisions.md), on the error path
 * of a function that has 5 s to answer.
 */
export class AftersaleFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, spec: FunctionSpec, options: AftersaleFunctionOptions) {
    super(scope, id);
    const props = options.props ?? {};
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: options.logRetention,
      removalPolicy: options.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Its own role, without AWSLambdaBasicExecutionRole (logs:* on every group): only its log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `aftersale ${spec.name}`,
    });
    this.logGroup.grantWrite(this.role);
    const mapsDir = join(
      App.of(this)?.outdir ?? join(root, 'cdk.out'),
      'sourcemaps',
      Stack.of(this).stackName,
      spec.name,
    );
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
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      role: this.role,
      ...(spec.reservedConcurrency !== undefined && {
        reservedConcurrentExecutions: spec.reservedConcurrency,
      }),
      ...props,
      environment: { ...DEFAULT_ENVIRONMENT, ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // Some dependencies still call require(); ESM bundles need it defined.
        banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
        // Nothing external: the AWS SDK v3 clients are bundled (the runtime's copy is not loaded).
        externalModules: [],
        ...props.bundling,
        commandHooks: moveSourceMapOut(mapsDir, props.bundling?.commandHooks),
      },
    });
  }
}

/** Runs the caller's hooks, then moves the bundle's source map out of the Lambda asset. */
function moveSourceMapOut(mapsDir: string, hooks?: ICommandHooks): ICommandHooks {
  return {
    beforeBundling: (input, output) => hooks?.beforeBundling(input, output) ?? [],
    beforeInstall: (input, output) => hooks?.beforeInstall(input, output) ?? [],
    afterBundling: (input, output) => [
      ...(hooks?.afterBundling(input, output) ?? []),
      `mkdir -p "${mapsDir}"`,
      `if [ -f "${output}/index.mjs.map" ]; then mv "${output}/index.mjs.map" "${mapsDir}/index.mjs.map"; fi`,
    ],
  };
}
