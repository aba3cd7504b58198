#[test] fn t() { let _ = egui_kittest::Harness::<()>::builder; }
