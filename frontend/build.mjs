// `make card`: the card's sources into one ES module inside the integration.
import { build } from "esbuild";

await build({
  entryPoints: ["src/ev-load-balancer-card.ts"],
  // CARD_OUTFILE: elsewhere (tests/test_card_build.py compares with the committed one).
  outfile:
    process.env.CARD_OUTFILE ?? "../custom_components/ev_load_balancer/frontend/ev-load-balancer-card.js",
  bundle: true,
  format: "esm",
  target: "es2021",
  minify: true,
  legalComments: "eof",
  banner: { js: "// EV Load Balancer site card. Built from frontend/ by `make card`; do not edit." },
  logLevel: "warning",
});
