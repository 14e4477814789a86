//! Snapshots of what the generator emits for the delete-image operation: the method, its
//! response and error types, and its IR.

use openapi_client_gen::{emit, generate};

fn api() -> openapi_client_gen::ir::Api {
    generate(&crate::pi_spec(), &crate::settings())
        .expect("the PI spec generates")
        .api
}

#[test]
fn delete_user_image_method() {
    let code = emit::operation_item(&api(), "delete_user_image").expect("operation exists");
    insta::assert_snapshot!("delete_user_image_method", code);
}

#[test]
fn delete_user_image_types() {
    let api = api();
    for name in [
        "DeleteImageResponse",
        "ErrorResponse",
        "ErrorDetail",
        "DeleteUserImageError",
    ] {
        let code = emit::type_item(&api, name).unwrap_or_else(|| panic!("type {name} exists"));
        insta::assert_snapshot!(format!("type_{name}"), code);
    }
}

#[test]
fn delete_user_image_ir() {
    let api = api();
    let op = api
        .operations
        .iter()
        .find(|o| o.name == "delete_user_image")
        .expect("operation exists");
    insta::assert_debug_snapshot!("ir_delete_user_image", op);
}
