// cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider, …).
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();
