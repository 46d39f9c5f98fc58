// cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider, …).
import { setupJest } from "cdktf/lib/testing/adapters/jest";
import { skipTokenStackTraces } from "../stacks/stack-traces";

setupJest();

// Plain-object stack traces (one per cdktf token) skip source-map-support; see the module.
skipTokenStackTraces();
