<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../ui/app.py" line="48"/>
        <source>{error} Conversations in this session will not be saved. Set HEARTH_DATA_DIR to a writable folder or fix the permissions, then restart.</source>
        <translation>{error} 本次会话中的对话将不会被保存。请将 HEARTH_DATA_DIR 设为可写入的文件夹或修正权限，然后重新启动。</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../ui/chat/pane.py" line="62"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="129"/>
        <source>Stop the current reply before starting a new conversation.</source>
        <translation>请先停止当前回复，再开始新对话。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="134"/>
        <location filename="../ui/chat/pane.py" line="150"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="144"/>
        <source>Stop the current reply before switching conversations.</source>
        <translation>请先停止当前回复，再切换对话。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="171"/>
        <source>Stop the reply before deleting this conversation.</source>
        <translation>请先停止回复，再删除此对话。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="174"/>
        <source>this conversation</source>
        <translation>此对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="176"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="176"/>
        <source>Delete “{title}”? This cannot be undone.</source>
        <translation>删除“{title}”？此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="197"/>
        <source>Could not export: {error}</source>
        <translation>无法导出：{error}</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="199"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="202"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="202"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="205"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="252"/>
        <source>Stop the reply before reloading the model.</source>
        <translation>请先停止回复，再重新加载模型。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="259"/>
        <source>Could not save settings: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="270"/>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="279"/>
        <source>{ctx} tokens of context</source>
        <translation>上下文 {ctx} token</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="281"/>
        <source>This model has no chat template; Hearth uses a generic (ChatML) one.</source>
        <translation>此模型没有聊天模板；Hearth 将使用通用模板（ChatML）。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="283"/>
        <source>Running on the GPU</source>
        <translation>正在 GPU 上运行</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="288"/>
        <source>Not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="289"/>
        <source>Choose another model in Settings.</source>
        <translation>请在“设置”中选择其他模型。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="300"/>
        <source>A reply is still being written. Stop it or wait for it to finish.</source>
        <translation>回复仍在生成中。请停止它或等待其完成。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="303"/>
        <source>Type a message first.</source>
        <translation>请先输入消息。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="356"/>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="375"/>
        <source>This conversation is longer than the model&apos;s context: the {n} oldest messages were left out of this reply (the system prompt was kept).</source>
        <translation>此对话超出了模型的上下文长度：本次回复未包含最早的 {n} 条消息（系统提示词已保留）。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="381"/>
        <source>The reply stopped because the model&apos;s context is full.</source>
        <translation>模型的上下文已满，回复已停止。</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="412"/>
        <source>{tps:.1f} tokens/s · first token {ttft:.2f} s · context {used} / {ctx} tokens</source>
        <translation>{tps:.1f} token/秒 · 首个 token {ttft:.2f} 秒 · 上下文 {used} / {ctx} token</translation>
    </message>
    <message>
        <location filename="../ui/chat/pane.py" line="423"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>ChatSettingsPanel</name>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="29"/>
        <source>The model that answers in this conversation</source>
        <translation>在此对话中回答的模型</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="33"/>
        <source>Optional: how the assistant should behave</source>
        <translation>可选：助手应如何表现</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="35"/>
        <source>0 = always the most likely word (deterministic)</source>
        <translation>0 = 总是选择可能性最高的词（结果确定）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="36"/>
        <source>Sample only from the most likely words that add up to this share</source>
        <translation>只从累计概率达到此比例的最可能词中采样</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="37"/>
        <source>Sample only from this many most likely words (0 = all)</source>
        <translation>只从这么多个最可能的词中采样（0 = 全部）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="38"/>
        <source>Discourage repeating recent words (1 = off)</source>
        <translation>抑制重复最近用过的词（1 = 关闭）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="39"/>
        <source>Longest reply, in tokens</source>
        <translation>回复的最大长度（token 数）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="40"/>
        <source>-1 = random each time; a fixed seed repeats replies</source>
        <translation>-1 = 每次随机；固定种子会得到相同的回复</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="41"/>
        <source>Tokens the model can see at once; capped by the model</source>
        <translation>模型一次能看到的 token 数；不超过模型本身的上限</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="46"/>
        <source>Layers to run on the GPU: auto = all when this build supports a GPU, 0 = CPU only</source>
        <translation>在 GPU 上运行的层数：auto = 此版本支持 GPU 时全部放到 GPU，0 = 仅用 CPU</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="47"/>
        <source>CPU threads (0 = one per physical core)</source>
        <translation>CPU 线程数（0 = 每个物理核心一个）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="48"/>
        <source>Apply and reload model</source>
        <translation>应用并重新加载模型</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="50"/>
        <source>Reset to defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="53"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="55"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="56"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="57"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="58"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="59"/>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="60"/>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="61"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="63"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="64"/>
        <source>GPU layers</source>
        <translation>GPU 层数</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="65"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="69"/>
        <source>&lt;b&gt;Model loading&lt;/b&gt; (all conversations)</source>
        <translation>&lt;b&gt;模型加载&lt;/b&gt;（所有对话）</translation>
    </message>
    <message>
        <location filename="../ui/chat/settings_panel.py" line="97"/>
        <source>{name} (missing)</source>
        <translation>{name}（缺失）</translation>
    </message>
</context>
<context>
    <name>ClassifyPane</name>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>Top label</source>
        <translation>最可能的标签</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="58"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="79"/>
        <source>Labels kept per image (applies to the next images)</source>
        <translation>每张图片保留的标签数（对之后的图片生效）</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="81"/>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="87"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="88"/>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="128"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="128"/>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/classify/pane.py" line="129"/>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../ui/chat/composer.py" line="29"/>
        <source>Message the assistant (Enter to send, Shift+Enter for a new line)</source>
        <translation>给助手发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="32"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="35"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="36"/>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复（Esc）</translation>
    </message>
    <message>
        <location filename="../ui/chat/composer.py" line="68"/>
        <source>Editing a sent message: Send replaces it and everything after it. Esc cancels.</source>
        <translation>正在编辑已发送的消息：点“发送”会替换它及其后的所有内容。按 Esc 取消。</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../ui/chat/sidebar.py" line="34"/>
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="35"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="38"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="62"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="88"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="89"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="90"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/chat/sidebar.py" line="92"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>DetectPane</name>
    <message>
        <location filename="../ui/detect/pane.py" line="26"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="26"/>
        <source>Objects</source>
        <translation>目标数</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="26"/>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="26"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="34"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="36"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="38"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="64"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="67"/>
        <source>IoU (NMS)</source>
        <translation>IoU (NMS)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="70"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="84"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="84"/>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="84"/>
        <source>Export COCO…</source>
        <translation>导出 COCO…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="89"/>
        <source>Save annotated…</source>
        <translation>保存标注图片…</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="110"/>
        <source>All classes</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="173"/>
        <source>{name}: {n} objects ({w}×{h})</source>
        <translation>{name}：{n} 个目标（{w}×{h}）</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="202"/>
        <source>Pasted images are not saved as files; export them as JSON instead.</source>
        <translation>粘贴的图片不会保存为文件；请改为导出 JSON。</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="206"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="206"/>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="206"/>
        <source>COCO JSON (*.json)</source>
        <translation>COCO JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="207"/>
        <source>Export detections</source>
        <translation>导出检测结果</translation>
    </message>
    <message>
        <location filename="../ui/detect/pane.py" line="215"/>
        <source>Save annotated images to</source>
        <translation>将标注后的图片保存到</translation>
    </message>
</context>
<context>
    <name>DocumentSource</name>
    <message>
        <location filename="../ui/summarize/source.py" line="10"/>
        <source>Documents (*.pdf *.docx *.html *.htm *.txt *.md *.markdown);;All files (*)</source>
        <translation>文档 (*.pdf *.docx *.html *.htm *.txt *.md *.markdown);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="20"/>
        <source>Open document…</source>
        <translation>打开文档…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="22"/>
        <source>or drop a PDF, DOCX, HTML, TXT or Markdown file here, or paste text below</source>
        <translation>或将 PDF、DOCX、HTML、TXT 或 Markdown 文件拖到这里，或在下方粘贴文本</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="24"/>
        <source>No document yet.</source>
        <translation>尚未打开文档。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="31"/>
        <source>Paste text to summarize…</source>
        <translation>粘贴要摘要的文本…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/source.py" line="49"/>
        <source>Open a document to summarize</source>
        <translation>打开要摘要的文档</translation>
    </message>
</context>
<context>
    <name>DownloadDialog</name>
    <message>
        <location filename="../ui/models/download_dialog.py" line="49"/>
        <source>Download a model</source>
        <translation>下载模型</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="66"/>
        <source>Repository:</source>
        <translation>仓库：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="67"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="71"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="72"/>
        <source>Suggested</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="73"/>
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="74"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="76"/>
        <source>optional; Hugging Face files are checked against the Hub&apos;s own hash</source>
        <translation>可选；Hugging Face 上的文件会用 Hub 提供的哈希值校验</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="77"/>
        <source>optional; the file name by default</source>
        <translation>可选；默认为文件名</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="79"/>
        <source>sha256:</source>
        <translation>sha256：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="80"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="83"/>
        <source>Downloads go to the model library; nothing else is sent anywhere.</source>
        <translation>下载的文件存入模型库；不会向任何地方发送其他数据。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="85"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="86"/>
        <location filename="../ui/models/download_dialog.py" line="138"/>
        <location filename="../ui/models/download_dialog.py" line="145"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="87"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="88"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="127"/>
        <source>Choose a suggested model, or fill in a repository and file, or an address.</source>
        <translation>请选择推荐的模型，或填写仓库和文件，或填写地址。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="139"/>
        <location filename="../ui/models/download_dialog.py" line="164"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="148"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="154"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="165"/>
        <source>Downloading</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="166"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="167"/>
        <source>Checking sha256…</source>
        <translation>正在校验 sha256…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="168"/>
        <source>Checking the model file…</source>
        <translation>正在检查模型文件…</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="169"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="173"/>
        <source> · {speed} MB/s · {eta} left</source>
        <translation> · {speed} MB/s · 剩余 {eta}</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="179"/>
        <source>&apos;{name}&apos; was added to the library.</source>
        <translation>已将“{name}”添加到模型库。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="185"/>
        <source>Cancelled. Nothing was added.</source>
        <translation>已取消。未添加任何内容。</translation>
    </message>
    <message>
        <location filename="../ui/models/download_dialog.py" line="190"/>
        <source>Not downloaded.</source>
        <translation>未下载。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../ui/workers.py" line="138"/>
        <source>The computer ran out of memory. Close other programs or use a smaller model.</source>
        <translation>内存不足。请关闭其他程序，或使用更小的模型。</translation>
    </message>
    <message>
        <location filename="../ui/workers.py" line="140"/>
        <source>The disk is full. Free some space and try again.</source>
        <translation>磁盘已满。请释放一些空间后重试。</translation>
    </message>
    <message>
        <location filename="../ui/workers.py" line="141"/>
        <source>Something went wrong: {kind}: {error}. Details are in the log file.</source>
        <translation>出现错误：{kind}: {error}。详细信息见日志文件。</translation>
    </message>
</context>
<context>
    <name>HardwareView</name>
    <message>
        <location filename="../ui/models/hardware_view.py" line="27"/>
        <source>Processor</source>
        <translation>处理器</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="28"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="29"/>
        <source>Graphics</source>
        <translation>显卡</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="30"/>
        <source>llama.cpp (chat)</source>
        <translation>llama.cpp（聊天）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="31"/>
        <source>onnxruntime (vision)</source>
        <translation>onnxruntime（视觉）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="32"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="42"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="62"/>
        <source>{model} — {cores} cores, {threads} threads</source>
        <translation>{model} — {cores} 核，{threads} 线程</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="64"/>
        <source>{free} free of {total}</source>
        <translation>可用 {free}，共 {total}</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="66"/>
        <source>{name}: {free} free of {total} ({source})</source>
        <translation>{name}：可用 {free}，共 {total}（{source}）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="71"/>
        <source>No supported GPU found (NVIDIA or Apple silicon).</source>
        <translation>未找到受支持的 GPU（NVIDIA 或 Apple 芯片）。</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="72"/>
        <source>GPU offload available</source>
        <translation>可将计算卸载到 GPU</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="72"/>
        <source>CPU only (no GPU offload in this build)</source>
        <translation>仅 CPU（此版本不支持 GPU 卸载）</translation>
    </message>
    <message>
        <location filename="../ui/models/hardware_view.py" line="73"/>
        <source>no SIMD extensions</source>
        <translation>无 SIMD 扩展</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../ui/models/import_dialog.py" line="40"/>
        <source>Import model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="42"/>
        <source>Copy into the library (the original can be moved or deleted)</source>
        <translation>复制到模型库（之后可移动或删除原文件）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="43"/>
        <source>Use the file where it is (saves disk space)</source>
        <translation>在原位置使用文件（节省磁盘空间）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="46"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="47"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../ui/language_menu.py" line="24"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/language_menu.py" line="29"/>
        <source>Automatic (system language)</source>
        <translation>自动（跟随系统语言）</translation>
    </message>
    <message>
        <location filename="../ui/language_menu.py" line="46"/>
        <source>Could not save the language setting: {error}</source>
        <translation>无法保存语言设置：{error}</translation>
    </message>
    <message>
        <location filename="../ui/language_menu.py" line="48"/>
        <source>The new language is used the next time Hearth starts.</source>
        <translation>新语言将在下次启动 Hearth 时生效。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/main_window.py" line="54"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="55"/>
        <source>Summarize</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="56"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="57"/>
        <source>Detect</source>
        <translation>检测</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="58"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="95"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.py" line="96"/>
        <source>Everything runs on this computer. Nothing is sent anywhere.</source>
        <translation>一切都在本机运行，不会向任何地方发送数据。</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <location filename="../ui/widgets/banner.py" line="25"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <location filename="../ui/chat/transcript.py" line="24"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="25"/>
        <source>Interrupted (the app closed while this reply was being written)</source>
        <translation>已中断（生成此回复时应用被关闭）</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="26"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="113"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="113"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="118"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="118"/>
        <source>Copy this message</source>
        <translation>复制此消息</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="120"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="120"/>
        <source>Edit this message and send it again</source>
        <translation>编辑此消息并重新发送</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="123"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../ui/chat/transcript.py" line="123"/>
        <source>Write this reply again</source>
        <translation>重新生成此回复</translation>
    </message>
</context>
<context>
    <name>ModelChooser</name>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="22"/>
        <source>The model used for this pane</source>
        <translation>此面板使用的模型</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="23"/>
        <source>Open .onnx…</source>
        <translation>打开 .onnx…</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="29"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="69"/>
        <source>Open an ONNX model</source>
        <translation>打开 ONNX 模型</translation>
    </message>
    <message>
        <location filename="../ui/vision/model_chooser.py" line="69"/>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
</context>
<context>
    <name>ModelTable</name>
    <message>
        <location filename="../ui/models/table.py" line="14"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="15"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="16"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="17"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="18"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="19"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="20"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="21"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="22"/>
        <source>Chat template</source>
        <translation>聊天模板</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="23"/>
        <source>Inputs / outputs</source>
        <translation>输入 / 输出</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="24"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="25"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="29"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="30"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="31"/>
        <source>Detect</source>
        <translation>检测</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="32"/>
        <source>bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="33"/>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="34"/>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="35"/>
        <source>path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="77"/>
        <source>embedded</source>
        <translation>内嵌</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="79"/>
        <source>none (fallback)</source>
        <translation>无（使用通用模板）</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="85"/>
        <source>{n} labels</source>
        <translation>{n} 个标签</translation>
    </message>
    <message>
        <location filename="../ui/models/table.py" line="87"/>
        <source>{n} out</source>
        <translation>{n} 个输出</translation>
    </message>
</context>
<context>
    <name>ModelsPane</name>
    <message>
        <location filename="../ui/models/pane.py" line="54"/>
        <source>Search models (name, task, quantization, licence…)</source>
        <translation>搜索模型（名称、任务、量化、许可证…）</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="68"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="69"/>
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="70"/>
        <source>Set as default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="71"/>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="90"/>
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="91"/>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="141"/>
        <source>Models that ship with Hearth cannot be removed.</source>
        <translation>Hearth 自带的模型无法移除。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="152"/>
        <source>Problem: {error}</source>
        <translation>问题：{error}</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="169"/>
        <source>fits</source>
        <translation>装得下</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="169"/>
        <source>does not fit</source>
        <translation>装不下</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="170"/>
        <source>At {ctx} tokens of context it needs about {ram} GB of memory{vram}: {verdict} ({free} GB free).</source>
        <translation>上下文为 {ctx} token 时，约需 {ram} GB 内存{vram}：{verdict}（可用 {free} GB）。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="173"/>
        <source> and {v} GB of GPU memory</source>
        <translation>和 {v} GB 显存</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="194"/>
        <source>&apos;{name}&apos; is now the default {task} model.</source>
        <translation>“{name}”现在是默认的{task}模型。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="212"/>
        <source>The file stays where it is.</source>
        <translation>文件会保留在原位置。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="212"/>
        <source>Its file in the library will be deleted.</source>
        <translation>模型库中的对应文件将被删除。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="213"/>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="213"/>
        <source>Remove &apos;{name}&apos;? {detail}</source>
        <translation>移除“{name}”？{detail}</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="224"/>
        <source>&apos;{name}&apos; was removed.</source>
        <translation>已移除“{name}”。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="235"/>
        <source>Import a model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="235"/>
        <source>Models (*.gguf *.onnx);;All files (*)</source>
        <translation>模型 (*.gguf *.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="248"/>
        <source>Drop a .gguf or .onnx file to import it.</source>
        <translation>拖入 .gguf 或 .onnx 文件即可导入。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="267"/>
        <source>Checking {name}…</source>
        <translation>正在检查 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="276"/>
        <source>&apos;{name}&apos; was added to the library.</source>
        <translation>已将“{name}”添加到模型库。</translation>
    </message>
    <message>
        <location filename="../ui/models/pane.py" line="299"/>
        <source>&apos;{name}&apos; was downloaded and added to the library.</source>
        <translation>已下载“{name}”并添加到模型库。</translation>
    </message>
</context>
<context>
    <name>Placeholder</name>
    <message>
        <location filename="../ui/placeholder.py" line="7"/>
        <source>Summarize long documents (TXT, Markdown, PDF, DOCX, HTML).</source>
        <translation>为长文档生成摘要（TXT、Markdown、PDF、DOCX、HTML）。</translation>
    </message>
    <message>
        <location filename="../ui/placeholder.py" line="8"/>
        <source>Classify images with ONNX vision models.</source>
        <translation>使用 ONNX 视觉模型对图片分类。</translation>
    </message>
    <message>
        <location filename="../ui/placeholder.py" line="9"/>
        <source>Detect objects in images with ONNX vision models.</source>
        <translation>使用 ONNX 视觉模型检测图片中的目标。</translation>
    </message>
    <message>
        <location filename="../ui/placeholder.py" line="10"/>
        <source>The model library and a hardware view.</source>
        <translation>模型库与硬件信息。</translation>
    </message>
</context>
<context>
    <name>PlaceholderPane</name>
    <message>
        <location filename="../ui/placeholder.py" line="17"/>
        <source>This pane is coming in a later version.</source>
        <translation>此面板将在后续版本中提供。</translation>
    </message>
</context>
<context>
    <name>SidecarForm</name>
    <message>
        <location filename="../ui/models/import_dialog.py" line="66"/>
        <source>Describe {name}</source>
        <translation>描述 {name}</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="80"/>
        <source>0–1 (pixels / 255)</source>
        <translation>0–1（像素值 / 255）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="82"/>
        <source>ImageNet mean/std</source>
        <translation>ImageNet 均值/标准差</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="84"/>
        <source>-1–1</source>
        <translation>-1–1</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="85"/>
        <source>0–255 (raw pixels)</source>
        <translation>0–255（原始像素值）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="92"/>
        <source>a text file, one label per line (optional)</source>
        <translation>文本文件，每行一个标签（可选）</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="93"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="107"/>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="108"/>
        <source>Input layout:</source>
        <translation>输入布局：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="109"/>
        <source>Input size (w × h):</source>
        <translation>输入尺寸（宽 × 高）：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="110"/>
        <source>Colour order:</source>
        <translation>颜色顺序：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="111"/>
        <source>Normalisation:</source>
        <translation>归一化：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="112"/>
        <source>Resize:</source>
        <translation>缩放方式：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="113"/>
        <source>Output decoder:</source>
        <translation>输出解码器：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="114"/>
        <source>Labels:</source>
        <translation>标签：</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="128"/>
        <source>Labels file</source>
        <translation>标签文件</translation>
    </message>
    <message>
        <location filename="../ui/models/import_dialog.py" line="128"/>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SummarizePane</name>
    <message>
        <location filename="../ui/summarize/pane.py" line="76"/>
        <source>Summarize</source>
        <translation>生成摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="78"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="86"/>
        <source>The summary appears here.</source>
        <translation>摘要将显示在这里。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="90"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="91"/>
        <location filename="../ui/summarize/pane.py" line="394"/>
        <source>Parts</source>
        <translation>分段</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="92"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="93"/>
        <source>Export Markdown…</source>
        <translation>导出 Markdown…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="94"/>
        <source>Export text…</source>
        <translation>导出文本…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="147"/>
        <source>Cancel the running summary before opening another document.</source>
        <translation>请先取消正在进行的摘要，再打开其他文档。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="149"/>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="168"/>
        <source>{n} pages</source>
        <translation>{n} 页</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="169"/>
        <source>{n:,} characters</source>
        <translation>{n:,} 个字符</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="177"/>
        <source>No document yet.</source>
        <translation>尚未打开文档。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="195"/>
        <source>Counting tokens with {model}…</source>
        <translation>正在用 {model} 统计 token…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="214"/>
        <source>measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="214"/>
        <source>estimated</source>
        <translation>估计</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="216"/>
        <source>{tokens:,} tokens · {parts} part(s) · about {time} on this computer ({basis})</source>
        <translation>{tokens:,} token · {parts} 段 · 在本机约需 {time}（{basis}）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="252"/>
        <source>Open a document, drop one here, or paste text first.</source>
        <translation>请先打开文档、将文档拖到这里或粘贴文本。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="276"/>
        <source>Loading {model}…</source>
        <translation>正在加载 {model}…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="289"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="300"/>
        <source> · about {time} left</source>
        <translation> · 约剩 {time}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="303"/>
        <location filename="../ui/summarize/pane.py" line="312"/>
        <source>Part {i} of {n}</source>
        <translation>第 {i} 段，共 {n} 段</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="305"/>
        <source>Combining partial summaries</source>
        <translation>正在合并各段摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="307"/>
        <source>Writing the summary</source>
        <translation>正在撰写摘要</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="309"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="314"/>
        <source>Parts ({n})</source>
        <translation>分段（{n}）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="325"/>
        <source>{parts} part(s) · {tokens:,} tokens · {time}</source>
        <translation>{parts} 段 · {tokens:,} token · {time}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="329"/>
        <source>Cancelled · {stats}</source>
        <translation>已取消 · {stats}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="331"/>
        <source>Cancelled after {done} of {n} part(s). The partial results are kept below.</source>
        <translation>已在完成 {done}/{n} 段后取消。已完成部分的结果保留在下方。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="337"/>
        <source>Done · {stats}</source>
        <translation>完成 · {stats}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="409"/>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="417"/>
        <source>Could not export: {error}</source>
        <translation>无法导出：{error}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="419"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="422"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="422"/>
        <source>Text (*.txt)</source>
        <translation>文本 (*.txt)</translation>
    </message>
    <message>
        <location filename="../ui/summarize/pane.py" line="424"/>
        <source>Export summary</source>
        <translation>导出摘要</translation>
    </message>
</context>
<context>
    <name>SummaryHistory</name>
    <message>
        <location filename="../ui/summarize/history.py" line="23"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/summarize/history.py" line="25"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location filename="../ui/summarize/history.py" line="40"/>
        <source> (cancelled)</source>
        <translation>（已取消）</translation>
    </message>
</context>
<context>
    <name>SummaryOptions</name>
    <message>
        <location filename="../ui/summarize/options.py" line="21"/>
        <source>The chat model that writes the summary</source>
        <translation>撰写摘要的聊天模型</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="23"/>
        <source>Short</source>
        <translation>简短</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="23"/>
        <source>Medium</source>
        <translation>中等</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="23"/>
        <source>Long</source>
        <translation>详细</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="25"/>
        <source>Target in words</source>
        <translation>指定字数</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="31"/>
        <source> words</source>
        <translation> 字</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="34"/>
        <source>Paragraphs</source>
        <translation>段落</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="35"/>
        <source>Bullet points</source>
        <translation>要点列表</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="37"/>
        <source>Optional, e.g. what are the risks?</source>
        <translation>可选，例如：有哪些风险？</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="40"/>
        <source>Auto writes in the document&apos;s own language; type another language to choose it</source>
        <translation>“自动”使用文档本身的语言；也可输入其他语言名称来指定</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="42"/>
        <source>Auto (the document&apos;s language)</source>
        <translation>自动（文档的语言）</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="43"/>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="44"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="45"/>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="46"/>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="47"/>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="48"/>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="57"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="58"/>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="59"/>
        <source>Form</source>
        <translation>形式</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="60"/>
        <source>Focus</source>
        <translation>重点</translation>
    </message>
    <message>
        <location filename="../ui/summarize/options.py" line="61"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>VisionBatchPane</name>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="76"/>
        <source>No model for this pane is installed. Use &apos;Open .onnx…&apos; to choose one.</source>
        <translation>此面板没有已安装的模型。请用“打开 .onnx…”选择一个。</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="84"/>
        <source>Add images…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="85"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="86"/>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="87"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="88"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="93"/>
        <location filename="../ui/vision/batch_pane.py" line="374"/>
        <source>Drop images or folders here, or paste an image.</source>
        <translation>将图片或文件夹拖到这里，或粘贴图片。</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="96"/>
        <source>Filter results…</source>
        <translation>筛选结果…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="178"/>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="193"/>
        <source>{w}×{h} input · {n} labels · {provider}</source>
        <translation>输入 {w}×{h} · {n} 个标签 · {provider}</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="248"/>
        <source>The clipboard holds no image or file.</source>
        <translation>剪贴板中没有图片或文件。</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="253"/>
        <source>pasted image {n}</source>
        <translation>粘贴的图片 {n}</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="260"/>
        <source>Add images</source>
        <translation>添加图片</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="260"/>
        <source>Images (*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="266"/>
        <source>Add a folder of images</source>
        <translation>添加图片文件夹</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="310"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="317"/>
        <source>{done}/{total} · {rate:.1f} images/s · {eta} left · {failed} failed</source>
        <translation>{done}/{total} · {rate:.1f} 张/秒 · 剩余 {eta} · {failed} 张失败</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="322"/>
        <source>{total} images queued</source>
        <translation>{total} 张图片排队中</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="347"/>
        <source>{n} images in {s:.1f} s ({rate:.1f} images/s), {failed} failed</source>
        <translation>{n} 张图片，用时 {s:.1f} 秒（{rate:.1f} 张/秒），{failed} 张失败</translation>
    </message>
    <message>
        <location filename="../ui/vision/batch_pane.py" line="352"/>
        <source>Cancelled. </source>
        <translation>已取消。</translation>
    </message>
</context>
</TS>
