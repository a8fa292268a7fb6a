# Adds llama.cpp's llama-server to the CMake build that makes llama-cpp-python's wheel, so ggml, llama,
# and mtmd are compiled once for both (scripts/build_llama.sh passes this file as HEARTH_LLAMA_SERVER,
# included at the end of llama.cpp's CMakeLists.txt).
# The server is outside `all`: the wheel's build compiles none of it; `cmake --build BUILD --target
# llama-server` builds it afterwards in the same tree, against the same shared libraries the wheel ships.
function(_hearth_add_llama_server)
    # what only the server uses leaves `all` too (llama-cpp-python builds llama.cpp's common library it never
    # links): the wheel, on the way to the first window, compiles ggml, llama and mtmd alone
    set_target_properties(llama-common llama-common-base cpp-httplib PROPERTIES EXCLUDE_FROM_ALL ON)
    llama_add_compile_flags()
    add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/tools/ui ${CMAKE_CURRENT_BINARY_DIR}/hearth-ui EXCLUDE_FROM_ALL)
    add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/tools/server ${CMAKE_CURRENT_BINARY_DIR}/hearth-server EXCLUDE_FROM_ALL)
    # found from the bundle (_internal/llama-server beside _internal/llama_cpp/lib) and from the bin/ of a
    # venv of any Python the project supports (VENV/lib/pythonX.Y/site-packages/llama_cpp/lib)
    set(rpath "\$ORIGIN/llama_cpp/lib")
    foreach(minor 10 11 12 13)
        list(APPEND rpath "\$ORIGIN/../lib/python3.${minor}/site-packages/llama_cpp/lib")
    endforeach()
    set_target_properties(llama-server PROPERTIES
        BUILD_WITH_INSTALL_RPATH ON
        INSTALL_RPATH "${rpath}"
        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/hearth-bin)
endfunction()

_hearth_add_llama_server()
