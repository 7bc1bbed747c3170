// Engine core: browser-safe exports (graph IR, autodiff, ODIN compiler, metrics, runtime contract).
