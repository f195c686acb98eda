import assert from "node:assert/strict";
import { test } from "node:test";
import { crdsOfCrdsDirs } from "../../src/ops/helm/crds.ts";

const crd = (name: string): string =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\nspec: {}\n`;

// As `helm template --include-crds` prints a chart: the crds/ files as they are, then the templates.
const rendered = [
  "---",
  "# Source: top/crds/widgets.yaml",
  crd("widgets.example.dev"),
  // A crds/ file with two documents: helm prints it whole, the second without a Source line.
  "---",
  "# Source: top/charts/sub/crds/parts.yaml",
  crd("gears.example.dev"),
  "---",
  crd("cogs.example.dev"),
  "---",
  "# Source: top/charts/sub/charts/deep/crds/deep.yaml",
  crd("deep.example.dev"),
  // A CRD among the templates is the release's (its record lists it), not crds/.
  "---",
  "# Source: top/templates/crds/templated.yaml",
  crd("templated.example.dev"),
  "---",
  "# Source: top/charts/crds/templates/x.yaml",
  crd("subchart-named-crds.example.dev"),
  "---",
  "# Source: top/templates/configmap.yaml",
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
].join("\n");

test("the CRDs of crds/ folders, the chart's and its subcharts', not those of templates/", () => {
  assert.deepEqual(
    crdsOfCrdsDirs(rendered).map((object) => object.metadata.name),
    ["widgets.example.dev", "gears.example.dev", "cogs.example.dev", "deep.example.dev"],
  );
});

test("a crds/ CRD is kept whole, to be created as the file says", () => {
  const [first] = crdsOfCrdsDirs(rendered);
  assert.deepEqual(first, {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.dev" },
    spec: {},
  });
});
